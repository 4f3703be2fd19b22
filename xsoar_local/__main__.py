"""`python -m xsoar_local`: see xsoar_local.cli."""

from xsoar_local.cli import main

raise SystemExit(main())
