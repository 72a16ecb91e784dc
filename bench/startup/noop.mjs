// Start-up baseline: a process that does nothing.
