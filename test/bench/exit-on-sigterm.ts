// Preloaded (`node -r`) into the service when the bench profiles it: exits on SIGTERM before
// Nest's shutdown hook re-raises the signal, so `--cpu-prof` gets to write its profile.
process.once('SIGTERM', () => process.exit(0));
