import { initialsOf } from '../state/initials';

/** The narrow left rail with the space's icon (one space per server for now). */
export function ServerRail({ spaceName }: { readonly spaceName: string }) {
  return (
    <div className="rail" aria-hidden="true">
      <div className="rail__space" title={spaceName}>
        {initialsOf(spaceName)}
      </div>
      <div className="rail__separator" />
    </div>
  );
}
