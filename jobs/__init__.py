"""The generic bulk job runner: work on many rows, done item by item in the background.

Floor 0: imports no project app. The apps above register their kinds of job with
jobs.runner in their AppConfig.ready().
"""
