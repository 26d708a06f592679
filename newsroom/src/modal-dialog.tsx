import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

/**
 * A modal <dialog>, open while mounted: the browser traps the focus inside, Escape
 * closes it, and the focus goes back where it was.
 */
export function ModalDialog(props: {
  labelId: string
  onClose: () => void
  children: ComponentChildren
  class?: string
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const onClose = useRef(props.onClose)
  onClose.current = props.onClose
  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    return () => element?.close()
  }, [])
  return (
    <dialog
      ref={dialog}
      class={`history-dialog ${props.class ?? ''}`}
      aria-labelledby={props.labelId}
      onClose={() => onClose.current()}
    >
      {props.children}
    </dialog>
  )
}
