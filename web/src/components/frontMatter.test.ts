import { describe, expect, it } from "vitest";
import { splitFrontMatter } from "./frontMatter";

describe("front matter", () => {
  it("reads name and description and keeps the body apart", () => {
    const { fields, body } = splitFrontMatter('---\nname: sql-style\ndescription: "How SQL is written: CTEs first"\n---\n# SQL style\n\nUse CTEs.\n');
    expect(fields).toEqual({ name: "sql-style", description: "How SQL is written: CTEs first" });
    expect(body).toBe("# SQL style\n\nUse CTEs.\n");
  });

  it("joins a folded description", () => {
    expect(splitFrontMatter("---\nname: a\ndescription: >\n  one\n  two\n---\nbody").fields.description).toBe("one two");
  });

  it("leaves text without front matter whole", () => {
    expect(splitFrontMatter("# Title\n---\nnot front matter\n---\n")).toEqual({ fields: {}, body: "# Title\n---\nnot front matter\n---\n" });
  });
});
