"""The deterministic synthetic program behind `pm-desk demo`, the tests and the benchmarks."""

from pm_desk.demo.generate import DemoSummary, generate_demo
from pm_desk.demo.scales import SCALES, Scale

# Every user of a demo program signs in with this password (it is printed by `pm-desk demo` and
# written in the README): a demo holds no one's real data.
DEMO_PASSWORD = "287g demo desk"

__all__ = ["DEMO_PASSWORD", "SCALES", "DemoSummary", "Scale", "generate_demo"]
