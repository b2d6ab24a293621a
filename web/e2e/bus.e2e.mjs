// The live bus keeps the chat page current without polling or reloading: a title the small model
// writes after a fast run has ended appears at once, and a conversation another client creates, and
// the run it starts there, show up as they happen (the running marker comes, then goes).
//
// The model (BrowserTest.theChatPageFollowsTheLiveBusWithoutAReload) answers "Done." at once, while
// the small model takes about three seconds to title the conversation "A late title"; the run
// started through the API waits in Bash for the gate "bus", then answers "Finished elsewhere.".
import { apiCall, conversationIdOf, conversationItem, createProject, release, runEnded, scenario, send, step } from "./browser.mjs";

await scenario("the chat page follows the live bus", async ({ page }) => {
  const projectId = await createProject(page, "Live bus");
  await send(page, "Be quick");
  await page.waitForURL(/\/conversations\//);
  await page.getByTestId("message-assistant").getByText("Done.").waitFor();
  await runEnded(page);
  const id = conversationIdOf(page);
  step("the run ended before its title was written");
  await conversationItem(page, id).filter({ hasText: "A late title" }).waitFor();
  await page.getByTestId("conversation-title").filter({ hasText: "A late title" }).waitFor();
  step("the model's late title appeared without a reload");

  const other = await apiCall("POST", `/api/projects/${projectId}/conversations`, { title: "Made elsewhere" });
  await conversationItem(page, other.id).filter({ hasText: "Made elsewhere" }).waitFor();
  step("a conversation made through the API appeared");

  const marked = (running) =>
    page.locator(`[data-testid="conversation-item"][data-conversation-id="${other.id}"][data-running="${running}"]`);
  await apiCall("POST", "/api/invoke_agent", { project_id: projectId, conversation_id: other.id, message: "Run over there" });
  await marked("true").waitFor();
  step("its run is marked running");
  release("bus");
  await marked("false").waitFor();
  step("and no longer once it ended");
});
