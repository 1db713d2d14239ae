/** The gallery's filters: whose templates (all, yours, global), framework, complexity, and hidden ones too. */
import type { ComplexityFilter, FrameworkFilter, Scope, TemplatesStore } from '../stores/templates';

export interface Props {
  readonly store: TemplatesStore;
}

const scopes: [Scope, string][] = [['all', 'All'], ['mine', 'Mine'], ['global', 'Global']];
const frameworks: [FrameworkFilter, string][] = [['', 'Any framework'], ['fastapi', 'FastAPI'], ['fasthtml', 'FastHTML'], ['hono', 'Hono']];
const complexities: [ComplexityFilter, string][] = [['', 'Any complexity'], ['beginner', 'Beginner'], ['intermediate', 'Intermediate'], ['advanced', 'Advanced']];

export function TemplateFilters({ store }: Props) {
  return (
    <div class="template-filters" role="search" aria-label="Filter templates">
      <fieldset class="scope-choice">
        <legend>Templates</legend>
        {scopes.map(([value, label]) => (
          <label key={value}>
            <input type="radio" name="template-scope" value={value} checked={store.scope.value === value} onChange={() => { store.scope.value = value; }} />
            {label}
          </label>
        ))}
      </fieldset>
      <div>
        <label for="template-framework">Framework</label>
        <select id="template-framework" value={store.framework.value} onChange={(e) => { store.framework.value = e.currentTarget.value as FrameworkFilter; }}>
          {frameworks.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      <div>
        <label for="template-complexity">Complexity</label>
        <select id="template-complexity" value={store.complexity.value} onChange={(e) => { store.complexity.value = e.currentTarget.value as ComplexityFilter; }}>
          {complexities.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      <label class="show-hidden">
        <input type="checkbox" checked={store.showHidden.value} onChange={(e) => { store.showHidden.value = e.currentTarget.checked; }} />
        Show hidden
      </label>
    </div>
  );
}
