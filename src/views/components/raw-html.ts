import { jsxTemplate } from 'preact/jsx-runtime'

/**
 * Markup rendered earlier by our own components (and kept, see renderStoryLists), placed
 * as it is: no wrapper element and no second escape. Never for text from anywhere else.
 */
export function RawHtml(props: { html: string }) {
  return jsxTemplate([props.html])
}
