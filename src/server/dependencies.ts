// Which open documents depend on which files: a document's last analysis read them (modules it imports,
// files that import it). When one of those files changes, those documents, and only those, are analysed again.

export class DependencyMap {
  /** File path → URIs of the documents whose last analysis read it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Document URI → the file paths its last analysis read. */
  private readonly used = new Map<string, string[]>();

  /** What the document's latest analysis read, replacing what the one before read. */
  record(uri: string, paths: string[]): void {
    this.forget(uri);
    if (paths.length === 0) return;
    this.used.set(uri, paths);
    for (const path of paths) {
      let set = this.dependents.get(path);
      if (!set) this.dependents.set(path, (set = new Set()));
      set.add(uri);
    }
  }

  forget(uri: string): void {
    for (const path of this.used.get(uri) ?? []) {
      const set = this.dependents.get(path);
      set?.delete(uri);
      if (set?.size === 0) this.dependents.delete(path);
    }
    this.used.delete(uri);
  }

  dependentsOf(path: string): string[] {
    return [...(this.dependents.get(path) ?? [])];
  }
}
