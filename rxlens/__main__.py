from rxlens.cli.main import main

main()
