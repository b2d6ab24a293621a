package dev.mason.terminal;

import java.time.Instant;

/**
 * A session as {@code GET /api/sessions} lists it: the reference's fields first, then what flow
 * control and the output ring are doing.
 *
 * @param lastPollTime the last presence: input, heartbeat, poll or attached WebSocket
 * @param exitCode the shell's status once exited, else null
 * @param process the program in the foreground (the shell's newest child), null once exited
 * @param pid the shell's process id, null once exited
 * @param outputOffset every byte the session ever printed: the end of the output
 * @param bufferedBytes bytes held in the ring, never more than {@code ringCapacity}
 * @param allocatedBytes the ring's memory; it grows with use up to the capacity
 * @param readers readers that currently hold the output back (attached or within their lease)
 * @param paused whether the PTY is not being read because a reader lags
 * @param pauses how many times that happened
 * @param closesInSeconds when the idle reaper will close it, after a warning; else null
 */
record SessionStatus(
    String sessionId,
    String label,
    Instant createdAt,
    Instant lastPollTime,
    boolean exited,
    Integer exitCode,
    String process,
    long idleSeconds,
    Long pid,
    int cols,
    int rows,
    long outputOffset,
    int bufferedBytes,
    int ringCapacity,
    int allocatedBytes,
    int readers,
    boolean paused,
    long pauses,
    boolean timeoutWarning,
    Long closesInSeconds) {}
