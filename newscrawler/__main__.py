from newscrawler.cli import main

raise SystemExit(main())
