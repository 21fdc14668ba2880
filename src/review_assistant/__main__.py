from review_assistant.cli.main import main

raise SystemExit(main())
