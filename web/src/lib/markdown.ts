import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

let hooked = false;
function ensureHooks() {
  if (hooked) return;
  hooked = true;
  // Links leave the app in a new tab and carry no referrer or opener.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/**
 * Markdown from the analyst (or a model) to safe HTML: rendered by marked,
 * then cleaned by DOMPurify, which removes scripts, event handlers,
 * javascript: URLs, iframes, forms and styles.
 */
export function renderMarkdown(source: string): string {
  ensureHooks();
  const html = marked.parse(source) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'img'],
    FORBID_ATTR: ['style'],
  });
}
