import { useState } from "react";

export interface TreeNode {
  name: string;
  path: string;
  type: "file" | "directory";
  children?: TreeNode[];
}

/** Nested nodes from flat paths ("a/b/c.txt"), folders first, then by name. */
export function treeFromPaths(paths: string[]): TreeNode[] {
  const root: TreeNode = { name: "", path: "", type: "directory", children: [] };
  for (const path of paths) {
    const parts = path.split("/").filter(Boolean);
    let node = root;
    parts.forEach((part, i) => {
      const isFile = i === parts.length - 1;
      const childPath = parts.slice(0, i + 1).join("/");
      let child = node.children!.find((c) => c.name === part && c.type === (isFile ? "file" : "directory"));
      if (!child) {
        child = { name: part, path: childPath, type: isFile ? "file" : "directory", children: isFile ? undefined : [] };
        node.children!.push(child);
      }
      node = child;
    });
  }
  sortTree(root.children!);
  return root.children!;
}

function sortTree(nodes: TreeNode[]): void {
  nodes.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === "directory" ? -1 : 1));
  nodes.forEach((n) => n.children && sortTree(n.children));
}

export function FileTree(props: { nodes: TreeNode[]; selected: string | null; onSelect: (path: string) => void; testId: string; depth?: number }) {
  return (
    <ul className="file-tree" data-testid={props.depth ? undefined : props.testId}>
      {props.nodes.map((node) => (
        <TreeItem key={node.path} node={node} {...props} depth={props.depth ?? 0} />
      ))}
    </ul>
  );
}

function TreeItem(props: { node: TreeNode; selected: string | null; onSelect: (path: string) => void; testId: string; depth: number }) {
  const [open, setOpen] = useState(props.depth < 1);
  const { node } = props;
  const indent = { paddingLeft: `${props.depth * 14 + 6}px` };
  if (node.type === "directory") {
    return (
      <li>
        <button className="tree-row" style={indent} onClick={() => setOpen(!open)} aria-expanded={open}>
          <span className="tree-icon">{open ? "▾" : "▸"}</span>
          {node.name}
        </button>
        {open && node.children && (
          <FileTree nodes={node.children} selected={props.selected} onSelect={props.onSelect} testId={props.testId} depth={props.depth + 1} />
        )}
      </li>
    );
  }
  return (
    <li>
      <button
        className={`tree-row${props.selected === node.path ? " selected" : ""}`}
        style={indent}
        onClick={() => props.onSelect(node.path)}
        data-testid={`${props.testId}-file`}
        data-path={node.path}
      >
        <span className="tree-icon" />
        {node.name}
      </button>
    </li>
  );
}
