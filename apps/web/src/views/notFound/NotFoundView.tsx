import { Link } from '../../router/Link.tsx';

/** What an unknown path shows, rather than silently another view. */
export function NotFoundView({ path }: { path: string }) {
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>
        There is no page at <code>{path}</code>.
      </p>
      <p>
        <Link to="/">Go to Fleet health</Link>
      </p>
    </section>
  );
}
