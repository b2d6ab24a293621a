package dev.mason.agent.tool;

/**
 * Where the agent's Bash runs ({@code MASON_BASH}).
 *
 * <ul>
 *   <li>{@link #HOST}: as Mason's own user, with Mason's view of the machine; the default for a
 *       Mason that only its own user reaches.
 *   <li>{@link #SANDBOX}: in a bubblewrap sandbox ({@link BashSandbox}); the default when Mason
 *       serves several users. Where the sandbox cannot start, Bash refuses every command.
 *   <li>{@link #OFF}: no Bash tool at all.
 * </ul>
 */
public enum BashMode { HOST, SANDBOX, OFF }
