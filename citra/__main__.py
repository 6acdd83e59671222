# Guarded, and the CLI imported only when run: scoring workers (spawned processes) import this
# module again and must not load the whole application.
if __name__ == "__main__":
    from citra.cli import main

    main()
