from cer_docs.comando import main

main()
