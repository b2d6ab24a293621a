import { memo, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CopyButton } from "./CopyButton";

// Raw HTML in model output is never rendered (react-markdown shows it as text), except that
// HTML comments, which people and agents use as notes in files like CLAUDE.md, are dropped.
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

function dropHtmlComments() {
  const prune = (node: MdNode) => {
    if (!node.children) return;
    node.children = node.children.filter((child) => !(child.type === "html" && /^\s*<!--[\s\S]*-->\s*$/.test(child.value ?? "")));
    node.children.forEach(prune);
  };
  return (tree: MdNode) => prune(tree);
}

const remarkPlugins = [remarkGfm, dropHtmlComments];

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  table: ({ children }) => (
    <div className="table-scroll">
      <table>{children}</table>
    </div>
  ),
};

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

function CodeBlock({ children }: { children: ReactNode }) {
  let language = "";
  let code = "";
  const child = Array.isArray(children) ? children[0] : children;
  if (child && typeof child === "object" && "props" in child) {
    const props = (child as { props: { className?: string; children?: ReactNode } }).props;
    language = /language-([\w+-]+)/.exec(props.className ?? "")?.[1] ?? "";
    code = textOf(props.children);
  }
  return (
    <div className="code-block" data-testid="code-block">
      <div className="code-head">
        <span>{language}</span>
        <CopyButton text={code.replace(/\n$/, "")} testId="copy-code" />
      </div>
      <pre>{children}</pre>
    </div>
  );
}

function textOf(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (typeof node === "object" && "props" in node) return textOf((node as { props: { children?: ReactNode } }).props.children);
  return "";
}
