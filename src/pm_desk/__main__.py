from pm_desk.cli import main

raise SystemExit(main())
