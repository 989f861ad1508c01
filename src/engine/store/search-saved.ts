import type { Db } from './db.ts';

export interface StoredSavedSearch<Q> {
  id: number;
  name: string;
  query: Q;
  author: string | null;
  createdAt: string;
}

interface SavedTuple {
  id: number;
  name: string;
  query: string;
  author: string | null;
  created_at: string;
}

/** Saved searches by name. The query is kept as given (JSON): the search validates it when it runs. */
export function listSavedSearches<Q>(db: Db): StoredSavedSearch<Q>[] {
  return (db.prepare('select * from saved_searches order by name collate nocase, id').all() as SavedTuple[]).map((r) => ({
    id: r.id,
    name: r.name,
    query: JSON.parse(r.query) as Q,
    author: r.author,
    createdAt: r.created_at,
  }));
}

/** Save a search under a name; saving again under the same name replaces it (one name, one search). */
export function saveSearch<Q>(db: Db, name: string, query: Q, author: string | null): StoredSavedSearch<Q> {
  return db.transaction(() => {
    const createdAt = new Date().toISOString();
    db.prepare('delete from saved_searches where name = ?').run(name);
    const info = db.prepare('insert into saved_searches (name, query, author, created_at) values (?, ?, ?, ?)').run(name, JSON.stringify(query), author, createdAt);
    return { id: Number(info.lastInsertRowid), name, query, author, createdAt };
  })();
}

export function deleteSavedSearch(db: Db, id: number): boolean {
  return db.prepare('delete from saved_searches where id = ?').run(id).changes > 0;
}
