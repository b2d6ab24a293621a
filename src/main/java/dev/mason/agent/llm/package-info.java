/**
 * Mason's own streaming model clients: the Anthropic Messages protocol and the OpenAI
 * chat-completions protocol, on the JDK's HttpClient and Jackson (the official SDK jars are too
 * large for Databricks Apps; they serve only as test oracles).
 *
 * <p>Entry points: {@link dev.mason.agent.llm.ModelSettings} (what the environment configures),
 * {@link dev.mason.agent.llm.ModelRouter} (which protocol serves a model name), and
 * {@link dev.mason.agent.llm.ModelClient#stream} (one turn, streamed to a
 * {@link dev.mason.agent.llm.StreamListener}).
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li><b>Retries do not buffer.</b> Deltas reach the listener live; before a retry the listener
 *       gets {@code onRetry} and must discard what the failed attempt delivered. Buffering would
 *       hide the stream from the user for the whole turn.
 *   <li><b>Retried:</b> 408, 409, 429, 5xx, error events of type overloaded/api/rate-limit, dropped
 *       connections and silent streams; {@code retry-after} (also {@code retry-after-ms}) is
 *       honoured up to the policy's maximum delay, also for an error event inside a 200 stream.
 *       <b>Not retried:</b> 400, 401, 403, 404 and everything else: a {@code ModelException} quoting
 *       the API's message with credentials masked.
 *   <li><b>Sanitising</b> for strict endpoints (Databricks) applies to every request: blank text
 *       blocks dropped, messages left empty dropped (not padded with placeholder text) and
 *       same-role neighbours merged, unanswered tool calls given an error result, orphan results
 *       dropped, tool schemas reduced to a keyword whitelist.
 *   <li><b>Content blocks are the conversation's lingua franca</b>: thinking (signed) goes back to
 *       Anthropic and is dropped for OpenAI; stop reasons and usage are reported in the Anthropic
 *       vocabulary whatever the protocol.
 * </ul>
 */
package dev.mason.agent.llm;
