import { memo, useState, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

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
  const [copied, setCopied] = useState(false);
  let language = "";
  let code = "";
  const child = Array.isArray(children) ? children[0] : children;
  if (child && typeof child === "object" && "props" in child) {
    const props = (child as { props: { className?: string; children?: ReactNode } }).props;
    language = /language-([\w+-]+)/.exec(props.className ?? "")?.[1] ?? "";
    code = textOf(props.children);
  }
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code.replace(/\n$/, ""));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="code-block" data-testid="code-block">
      <div className="code-head">
        <span>{language}</span>
        <button className="ghost small" onClick={copy} data-testid="copy-code">
          {copied ? "Copied" : "Copy"}
        </button>
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
