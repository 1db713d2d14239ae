/**
 * Administration, for admins only: settings, users, apps (always on), templates and statistics, one tab each. Anyone
 * else gets a plain sentence, and no admin data is asked for.
 */
import type { FunctionComponent } from 'preact';
import { useState } from 'preact/hooks';
import { AppsSection } from '../admin/apps-section';
import { SettingsSection } from '../admin/settings-section';
import { StatsSection } from '../admin/stats-section';
import { TemplatesSection } from '../admin/templates-section';
import { UsersSection } from '../admin/users-section';
import { Shell } from '../components/shell';
import { Tabs } from '../components/tabs';
import { useStores } from '../stores/context';
import '../admin/admin.css';

const tabs = [
  { id: 'settings', label: 'Settings' },
  { id: 'users', label: 'Users' },
  { id: 'apps', label: 'Apps' },
  { id: 'templates', label: 'Templates' },
  { id: 'stats', label: 'Stats' },
] as const;

type TabId = (typeof tabs)[number]['id'];

const sections: Record<TabId, FunctionComponent> = {
  settings: SettingsSection,
  users: UsersSection,
  apps: AppsSection,
  templates: TemplatesSection,
  stats: StatsSection,
};

export default function AdminPage() {
  const { session } = useStores();
  const [selected, setSelected] = useState<TabId>('settings');
  if (!session.user.value?.isAdmin) {
    return (
      <Shell>
        <h1>Administration</h1>
        <div class="alert info" role="status">You need to be an administrator to open this page.</div>
        <p><a href="/apps">Go to your apps</a>.</p>
      </Shell>
    );
  }
  const Section = sections[selected];
  return (
    <Shell>
      <div class="admin">
        <h1>Administration</h1>
        <Tabs label="Administration" tabs={tabs} selected={selected} onSelect={(id) => setSelected(id as TabId)}>
          <Section />
        </Tabs>
      </div>
    </Shell>
  );
}
