from roadmap.cli import run

run()
