package dev.mason.terminal;

/**
 * Where a terminal session is in its life; it only moves forward. Whether its shell has exited is
 * a separate fact ({@code TerminalSession.exited()}): a shell may end by itself while the session
 * stays open for its output to be read, or be hung up by the close.
 */
enum TerminalState {
  /** Attachable: input goes to the shell (while it runs), output can be read. */
  OPEN,
  /** {@code close()} has begun: readers see the session closed; the shell is being hung up. */
  CLOSING,
  /** The shell and its processes are gone and the PTY is closed. */
  CLOSED
}
