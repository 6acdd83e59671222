from citra.cli import main

# Guarded: scoring workers (spawned processes) import this module again.
if __name__ == "__main__":
    main()
