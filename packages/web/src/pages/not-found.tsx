import { Link, useTitle } from '../app/router.js';
import { Empty } from '../components/states.js';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <Empty title="This page does not exist">
      <Link href="/playground">Go to the playground</Link>
    </Empty>
  );
}
