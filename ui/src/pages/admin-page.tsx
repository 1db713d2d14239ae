/** Administration (placeholder until the admin screen lands): settings, users, templates, stats. */
import { Shell } from '../components/shell';

export function AdminPage() {
  return <Shell><h1>Administration</h1></Shell>;
}
