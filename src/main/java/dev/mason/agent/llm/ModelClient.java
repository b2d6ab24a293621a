package dev.mason.agent.llm;

import dev.mason.agent.tool.Cancellation;

/**
 * One model protocol: sends a conversation, streams the answer to a listener, and returns the
 * whole turn.
 *
 * <p>Implementations are thread-safe; one instance serves every run. Each call blocks its thread
 * (a virtual thread, typically) until the turn is complete, it fails, or it is cancelled. Listener
 * methods are called on the calling thread.
 *
 * <p><b>Retries and partial output.</b> Transient failures (429, 5xx, an overloaded endpoint, a
 * dropped connection) are retried inside the call. Nothing is buffered: deltas reach the listener as
 * they arrive, so a failed attempt may already have delivered some. Before each retry the client
 * calls {@link StreamListener#onRetry}; everything delivered since the call began, or since the
 * previous {@code onRetry}, belongs to an abandoned attempt and must be discarded by the listener.
 * The returned {@link ModelTurn} holds only the successful attempt.
 */
public interface ModelClient {
  /**
   * @throws ModelException when the model refuses the request (400, 401, 403, 404), when retries
   *     are exhausted, or when {@code cancellation} fires ({@link ModelException#cancelled()})
   */
  ModelTurn stream(ModelRequest request, StreamListener listener, Cancellation cancellation) throws ModelException;
}
