// Stops the Redis that global setup started (if it started one); a pre-existing server is left alone.
module.exports = async function globalTeardown() {
  const pid = globalThis.__RELABEL_TEST_REDIS__;
  if (pid) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
};
