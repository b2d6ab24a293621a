// Renaming and deleting a conversation (in the project's sidebar) and a project (on the home
// page); every change survives a reload.
//
// The model (BrowserTest.conversationsAndProjectsAreRenamedAndDeleted) answers "Hello! What shall
// we build?"; the small model titles the conversation "Orders per region".
import assert from "node:assert/strict";
import { baseUrl, conversationIdOf, conversationItem, createProject, projectItem, runEnded, scenario, send, step } from "./browser.mjs";

await scenario("renaming and deleting a conversation and a project", async ({ page }) => {
  const projectId = await createProject(page, "Scratch");
  await send(page, "Hi");
  await page.waitForURL(/\/conversations\//);
  await page.getByTestId("message-assistant").getByText("What shall we build?").waitFor();
  await runEnded(page);
  const id = conversationIdOf(page);
  const item = conversationItem(page, id);

  await item.hover();
  await item.getByTestId("conversation-rename").click();
  await item.getByTestId("conversation-rename-input").fill("Greetings");
  await item.getByTestId("conversation-rename-input").press("Enter");
  await item.filter({ hasText: "Greetings" }).waitFor();
  await page.getByTestId("conversation-title").filter({ hasText: "Greetings" }).waitFor();
  await page.reload();
  await item.filter({ hasText: "Greetings" }).waitFor();
  step("renamed the conversation");

  await item.hover();
  await item.getByTestId("conversation-delete").click();
  await page.getByTestId("confirm-ok").click();
  await item.waitFor({ state: "detached" });
  await page.waitForURL((url) => url.pathname === `/projects/${projectId}`);
  await page.reload();
  await page.getByTestId("conversation-list").getByText("No conversations yet.").waitFor();
  assert.equal(await page.getByTestId("conversation-item").count(), 0);
  step("deleted the conversation");

  await page.goto(baseUrl() + "/");
  await projectItem(page, "Scratch").getByTestId("project-rename").click();
  await page.getByTestId("project-rename-input").fill("Scratch pad");
  await page.getByTestId("project-rename-input").press("Enter");
  await projectItem(page, "Scratch pad").waitFor();
  await page.reload();
  await projectItem(page, "Scratch pad").waitFor();
  assert.equal(await projectItem(page, "Scratch").count(), 0);
  step("renamed the project");

  await projectItem(page, "Scratch pad").getByTestId("project-delete").click();
  await page.getByTestId("confirm-dialog").waitFor();
  await page.getByTestId("confirm-ok").click();
  await projectItem(page, "Scratch pad").waitFor({ state: "detached" });
  await page.reload();
  await page.getByTestId("no-projects").waitFor();
  step("deleted the project");

  // Its address is gone too.
  await page.goto(`${baseUrl()}/projects/${projectId}`);
  await page.getByText("Project not found").waitFor();
});
