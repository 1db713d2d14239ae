/**
 * Templates: global ones (seeded from templates/*.yaml or made by admins) and each user's own ("save as
 * template"). A user sees globals and their own; hiding is per user and reversible. Only admins edit
 * globals. Seeding at boot inserts new built-ins and updates untouched ones, but never overwrites an
 * admin's edit (the update is recorded as pending) and never brings back a built-in an admin deleted.
 */
import { createHash } from 'node:crypto';
import type { AppTemplate } from '../../templates/index.js';
import { languageOf, type Framework, type Language } from '../../validation/index.js';
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { ExampleDoc, TemplateDoc } from '../db/documents.js';
import { newHexId } from '../db/ids.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { Principal } from './accounts.js';
import { Directory } from './directory.js';
import { staleAfterMs, type Stamps } from './stamps.js';
import type { DraftService } from './drafts.js';
import { toRecord, toStored } from './files.js';
import type { ValidationService } from './validation.js';

/** The stamp every replica's view of the global templates follows. */
const globalsStamp = 'templates:global';

export const templateIdPattern = /^(builtin-[a-z0-9-]{1,50}|[a-f0-9]{24})$/;

export type Complexity = TemplateDoc['complexity'];

export interface TemplateSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The language of the apps it makes (its entrypoint's). */
  readonly language: Language;
  readonly framework: Framework;
  readonly complexity: Complexity;
  readonly tags: string[];
  readonly database: boolean;
  readonly scope: 'global' | 'mine';
  /** Hidden by this user (it shows only with includeHidden). */
  readonly hidden: boolean;
  readonly fileCount: number;
  readonly updatedAt: string;
}

export interface TemplateDetail extends TemplateSummary {
  readonly entrypoint: string;
  readonly files: Record<string, string>;
  readonly examples: ExampleDoc[];
}

export interface AdminTemplate extends TemplateDetail {
  readonly builtin: string | null;
  readonly adminHidden: boolean;
  readonly editedByAdmin: boolean;
  readonly builtinUpdatePending: boolean;
  readonly ownerId: string | null;
}

export interface TemplateInput {
  readonly title: string;
  readonly description: string;
  readonly complexity: Complexity;
  readonly tags: string[];
  readonly files?: Record<string, string> | undefined;
  readonly entrypoint?: string | undefined;
  readonly fromAppId?: string | undefined;
  readonly examples?: ExampleDoc[] | undefined;
}

export interface TemplatePatch {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly complexity?: Complexity | undefined;
  readonly tags?: string[] | undefined;
  readonly files?: Record<string, string> | undefined;
  readonly entrypoint?: string | undefined;
  readonly examples?: ExampleDoc[] | undefined;
}

/** A template as listed: what the gallery shows, without files. */
type TemplateEntry = Pick<TemplateDoc, 'title' | 'nameKey' | 'description' | 'framework' | 'complexity' | 'tags' | 'database' | 'updatedAt'> & {
  id: string;
  language: Language;
  ownerId: string | null;
  fileCount: number;
};

function entryOf(doc: TemplateDoc): TemplateEntry {
  return {
    id: doc._id, ownerId: doc.ownerId, title: doc.title, nameKey: doc.nameKey, description: doc.description, language: languageOf({ entrypoint: doc.entrypoint }), framework: doc.framework,
    complexity: doc.complexity, tags: doc.tags, database: doc.database, updatedAt: doc.updatedAt, fileCount: doc.files.length,
  };
}

function builtinHash(template: AppTemplate): string {
  return createHash('sha256').update(JSON.stringify(template.spec)).digest('hex').slice(0, 24);
}

export class TemplateService {
  /** Each user's own templates, in memory: listing never scans other users' templates. */
  private readonly mine: Directory<TemplateEntry>;
  /** The visible global templates, read by every gallery view; rebuilt when their stamp moves. */
  private globals: { entries: TemplateEntry[]; v: number; at: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly validation: ValidationService,
    private readonly drafts: DraftService,
    private readonly stamps: Stamps,
  ) {
    this.mine = new Directory(stamps, 'templates', {
      all: async (ownerId) => (await db.templates.find({ ownerId, deleted: false }).toArray()).map(entryOf),
      one: async (ownerId, id) => {
        const doc = await db.templates.findOne({ _id: id });
        return doc && doc.ownerId === ownerId && !doc.deleted ? entryOf(doc) : null;
      },
    }, (a, b) => a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1));
  }

  /** The globals, rebuilt when any replica changed one (their feed moved). */
  private async globalEntries(): Promise<TemplateEntry[]> {
    const cached = this.globals;
    if (cached && Date.now() - cached.at < staleAfterMs) {
      const { v, ids } = await this.stamps.since(globalsStamp, cached.v);
      if (ids.length === 0) return cached.entries;
      this.globals = { entries: await this.readGlobals(), v, at: Date.now() };
    } else {
      const v = await this.stamps.head(globalsStamp);
      this.globals = { entries: await this.readGlobals(), v, at: Date.now() };
    }
    return this.globals.entries;
  }

  private async readGlobals(): Promise<TemplateEntry[]> {
    return (await this.db.templates.find({ ownerId: null, deleted: false, hidden: false }).toArray()).map(entryOf);
  }

  /** After any change to a template: every replica's view of the owner's templates or of the globals follows. */
  private async changed(doc: TemplateDoc): Promise<void> {
    if (doc.ownerId === null) await this.stamps.bump(globalsStamp, doc._id);
    else await this.mine.changed(doc.ownerId, doc._id);
  }

  async dropDirectory(ownerId: string): Promise<void> {
    await this.mine.drop(ownerId);
  }

  private summaryOf(entry: TemplateEntry, hiddenIds: readonly string[]): TemplateSummary {
    return {
      id: entry.id, title: entry.title, description: entry.description, language: entry.language, framework: entry.framework, complexity: entry.complexity,
      tags: entry.tags, database: entry.database, scope: entry.ownerId === null ? 'global' : 'mine', hidden: hiddenIds.includes(entry.id),
      fileCount: entry.fileCount, updatedAt: entry.updatedAt.toISOString(),
    };
  }

  private summary(doc: TemplateDoc, hiddenIds: readonly string[]): TemplateSummary {
    return this.summaryOf(entryOf(doc), hiddenIds);
  }

  private detail(doc: TemplateDoc, hiddenIds: readonly string[]): TemplateDetail {
    return { ...this.summary(doc, hiddenIds), entrypoint: doc.entrypoint, files: toRecord(doc.files), examples: doc.examples };
  }

  private admin(doc: TemplateDoc): AdminTemplate {
    return {
      ...this.detail(doc, []), builtin: doc.builtin, adminHidden: doc.hidden, editedByAdmin: doc.editedByAdmin,
      builtinUpdatePending: doc.pendingBuiltinHash !== null, ownerId: doc.ownerId,
    };
  }

  private async hiddenOf(userId: string): Promise<string[]> {
    return (await this.db.users.findOne({ _id: userId }, { projection: { hiddenTemplates: 1 } }))?.hiddenTemplates ?? [];
  }

  /** A template the caller may use: a visible global, or their own. */
  private async visible(principal: Principal, id: string): Promise<TemplateDoc> {
    const doc = templateIdPattern.test(id) ? await this.db.templates.findOne({ _id: id }) : null;
    const ok = doc && !doc.deleted && (doc.ownerId === principal.userId || (doc.ownerId === null && !doc.hidden));
    if (!doc || !ok) throw new NotFoundError('No such template.');
    return doc;
  }

  private async own(principal: Principal, id: string): Promise<TemplateDoc> {
    const doc = await this.visible(principal, id);
    if (doc.ownerId !== principal.userId) throw new NotAllowedError('Global templates are managed by admins; save a copy as your own template to change it.');
    return doc;
  }

  async list(principal: Principal, query: { scope: 'all' | 'mine' | 'global'; framework?: Framework | undefined; complexity?: Complexity | undefined; includeHidden: boolean }): Promise<TemplateSummary[]> {
    const hidden = await this.hiddenOf(principal.userId);
    const entries = [
      ...(query.scope === 'mine' ? [] : await this.globalEntries()),
      ...(query.scope === 'global' ? [] : await this.mine.list(principal.userId)),
    ];
    return entries
      .filter((e) => (!query.framework || e.framework === query.framework) && (!query.complexity || e.complexity === query.complexity))
      .filter((e) => query.includeHidden || !hidden.includes(e.id))
      .sort((a, b) => Number(a.ownerId !== null) - Number(b.ownerId !== null) || a.title.localeCompare(b.title))
      .map((e) => this.summaryOf(e, hidden));
  }

  async get(principal: Principal, id: string): Promise<TemplateDetail> {
    return this.detail(await this.visible(principal, id), await this.hiddenOf(principal.userId));
  }

  private async checked(files: Record<string, string>, entrypoint: string): Promise<Framework> {
    const result = await this.validation.validate({ files, entrypoint });
    if (!result.valid) {
      const first = result.findings.find((f) => f.severity === 'error');
      throw new InputError(`A template must be a working app; fix ${first?.file}:${first?.line}: ${first?.message}`, { details: { findings: result.findings } });
    }
    return result.framework ?? (result.language === 'typescript' ? 'hono' : 'fastapi');
  }

  async create(principal: Principal, input: TemplateInput, ownerId: string | null = principal.userId): Promise<TemplateDetail> {
    let files = input.files;
    let entrypoint = input.entrypoint ?? ['app.py', 'app.ts', 'main.ts'].find((name) => name in (input.files ?? {})) ?? 'app.py';
    if (input.fromAppId) {
      const app = await this.db.apps.findOne({ _id: input.fromAppId });
      if (!app || app.ownerId !== principal.userId || app.deletingAt) throw new NotFoundError('No such app.');
      const draft = await this.drafts.latest(app);
      files = toRecord(draft.files);
      entrypoint = draft.entrypoint;
    }
    if (!files) throw new InputError('Give the template files, or the app to save as a template (fromAppId).');
    const framework = await this.checked(files, entrypoint);
    const now = new Date();
    const doc: TemplateDoc = {
      _id: newHexId(), ownerId, builtin: null, title: input.title.trim(), nameKey: input.title.trim().toLowerCase(), description: input.description.trim(),
      framework, complexity: input.complexity, tags: input.tags, database: Object.values(files).some((f) => f.includes('PLATFORM_MONGO_URI')),
      entrypoint, files: toStored(files), examples: input.examples ?? [], hidden: false, builtinHash: null, editedByAdmin: false,
      pendingBuiltinHash: null, deleted: false, createdAt: now, updatedAt: now,
    };
    await this.uniqueTitle(doc.ownerId, doc.nameKey, doc._id);
    await this.db.templates.insertOne(doc);
    await this.changed(doc);
    return this.detail(doc, []);
  }

  private async uniqueTitle(ownerId: string | null, nameKey: string, except: string): Promise<void> {
    const entries = ownerId === null ? await this.globalEntries() : await this.mine.list(ownerId);
    if (entries.some((e) => e.nameKey === nameKey && e.id !== except)) throw new ConflictError('You already have a template with that title; choose another.');
  }

  private async applyPatch(doc: TemplateDoc, patch: TemplatePatch & { hidden?: boolean | undefined }, byAdmin: boolean): Promise<TemplateDoc> {
    const set: Partial<TemplateDoc> = { updatedAt: new Date() };
    if (patch.title !== undefined) Object.assign(set, { title: patch.title.trim(), nameKey: patch.title.trim().toLowerCase() });
    if (patch.description !== undefined) set.description = patch.description.trim();
    if (patch.complexity !== undefined) set.complexity = patch.complexity;
    if (patch.tags !== undefined) set.tags = patch.tags;
    if (patch.examples !== undefined) set.examples = patch.examples;
    if (patch.hidden !== undefined) set.hidden = patch.hidden;
    if (patch.files !== undefined || patch.entrypoint !== undefined) {
      const files = patch.files ?? toRecord(doc.files);
      const entrypoint = patch.entrypoint ?? doc.entrypoint;
      set.framework = await this.checked(files, entrypoint);
      Object.assign(set, { files: toStored(files), entrypoint });
    }
    if (set.nameKey) await this.uniqueTitle(doc.ownerId, set.nameKey, doc._id);
    if (byAdmin && doc.builtin && Object.keys(set).some((k) => !['updatedAt', 'hidden'].includes(k))) set.editedByAdmin = true;
    await this.db.templates.updateOne({ _id: doc._id }, { $set: set });
    const updated = { ...doc, ...set };
    await this.changed(updated);
    return updated;
  }

  async update(principal: Principal, id: string, patch: TemplatePatch): Promise<TemplateDetail> {
    return this.detail(await this.applyPatch(await this.own(principal, id), patch, false), await this.hiddenOf(principal.userId));
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const doc = await this.own(principal, id);
    await this.db.templates.deleteOne({ _id: doc._id });
    await this.changed(doc);
  }

  async setHidden(principal: Principal, id: string, hidden: boolean): Promise<TemplateSummary> {
    const doc = await this.visible(principal, id);
    await this.db.users.updateOne({ _id: principal.userId }, hidden ? { $addToSet: { hiddenTemplates: doc._id } } : { $pull: { hiddenTemplates: doc._id } });
    return this.summary(doc, await this.hiddenOf(principal.userId));
  }

  // Admin views: every template, globals editable, hiding global for everyone.

  async adminList(): Promise<AdminTemplate[]> {
    return (await this.db.templates.find({ deleted: false }).sort({ ownerId: 1, title: 1 }).limit(1000).toArray()).map((d) => this.admin(d));
  }

  private async any(id: string): Promise<TemplateDoc> {
    const doc = templateIdPattern.test(id) ? await this.db.templates.findOne({ _id: id, deleted: false }) : null;
    if (!doc) throw new NotFoundError('No such template.');
    return doc;
  }

  async adminCreate(principal: Principal, input: TemplateInput): Promise<TemplateDetail> {
    return this.create(principal, input, null);
  }

  async adminUpdate(id: string, patch: TemplatePatch & { hidden?: boolean | undefined }): Promise<AdminTemplate> {
    return this.admin(await this.applyPatch(await this.any(id), patch, true));
  }

  async adminRemove(id: string): Promise<void> {
    const doc = await this.any(id);
    // A deleted built-in stays as a tombstone so seeding does not bring it back.
    if (doc.builtin) await this.db.templates.updateOne({ _id: doc._id }, { $set: { deleted: true, updatedAt: new Date() } });
    else await this.db.templates.deleteOne({ _id: doc._id });
    await this.changed(doc);
  }

  async seed(builtins: readonly AppTemplate[]): Promise<{ inserted: number; updated: number; kept: number }> {
    const counts = { inserted: 0, updated: 0, kept: 0 };
    for (const t of builtins) {
      const id = `builtin-${t.metadata.name}`;
      const hash = builtinHash(t);
      const content = {
        title: t.spec.title, nameKey: t.spec.title.toLowerCase(), description: t.spec.description, framework: t.spec.framework,
        complexity: t.spec.complexity, tags: t.spec.tags, database: t.spec.database, entrypoint: t.spec.entrypoint,
        files: toStored(t.spec.files), examples: t.spec.examples as ExampleDoc[], builtinHash: hash, pendingBuiltinHash: null, updatedAt: new Date(),
      };
      const existing = await this.db.templates.findOne({ _id: id });
      if (!existing) {
        try {
          await this.db.templates.insertOne({ _id: id, ownerId: null, builtin: t.metadata.name, hidden: false, editedByAdmin: false, deleted: false, createdAt: new Date(), ...content });
          counts.inserted += 1;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      } else if (existing.deleted || existing.builtinHash === hash) {
        counts.kept += 1;
      } else if (existing.editedByAdmin) {
        await this.db.templates.updateOne({ _id: id }, { $set: { pendingBuiltinHash: hash } });
        counts.kept += 1;
      } else {
        await this.db.templates.updateOne({ _id: id }, { $set: content });
        counts.updated += 1;
      }
    }
    if (counts.inserted > 0 || counts.updated > 0) await this.stamps.bump(globalsStamp, 'seed');
    return counts;
  }
}
