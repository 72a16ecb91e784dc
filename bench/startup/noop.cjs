// Start-up baseline, CommonJS: a process that does nothing.
