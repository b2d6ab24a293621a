package dev.mason.agent.tool;

/**
 * Where the agent's Bash runs ({@code MASON_BASH}).
 *
 * <ul>
 *   <li>{@link #HOST}: as Mason's own user, with Mason's view of the machine.
 *   <li>{@link #SANDBOX}: in a bubblewrap sandbox ({@link BashSandbox}); the default when Mason
 *       serves several users. Where the sandbox cannot start, Bash refuses every command.
 *   <li>{@link #OFF}: no Bash tool at all.
 *   <li>{@link #AUTO}: the default for a Mason only its own user reaches: on the host for the local
 *       user, in the sandbox for anyone else (another person's bearer token).
 * </ul>
 */
public enum BashMode { HOST, SANDBOX, OFF, AUTO }
