import sys

from sladsl.cli.main import main

sys.exit(main())
