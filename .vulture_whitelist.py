# Names vulture cannot see used: the protocol arguments of context managers' __exit__.
trace  # progress.Progress.__exit__
details  # release.tarball.TarballWriter.__exit__
