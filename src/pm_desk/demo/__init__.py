"""The deterministic synthetic program behind `pm-desk demo`, the tests and the benchmarks."""

from pm_desk.demo.generate import DemoSummary, generate_demo
from pm_desk.demo.scales import SCALES, Scale

__all__ = ["SCALES", "DemoSummary", "Scale", "generate_demo"]
