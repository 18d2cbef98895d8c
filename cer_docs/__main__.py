from cer_docs.cli import main

main()
