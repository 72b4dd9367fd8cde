from wulian.cli import main

main()
