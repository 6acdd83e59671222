from citra.cli import main

main()
