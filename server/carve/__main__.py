from carve.cli.main import main

raise SystemExit(main())
