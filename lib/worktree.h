/* worktree.h — a run's own git worktree and branch (agent-spawn
 * --worktree): where the repository is, whether a branch name is free,
 * making the worktree.  git runs without a shell; nothing is printed. */
#ifndef AGENT_WORKTREE_H
#define AGENT_WORKTREE_H
#include <stddef.h>

#define AGENT_WORKTREE_PATH 4096

/* Where worktrees go, under the repository's common git directory
 * (agent-spawn(1) says why there): <common>/agentutils-worktrees/<run id>. */
#define AGENT_WORKTREE_DIR "agentutils-worktrees"

struct agent_worktree_info {
	char top[AGENT_WORKTREE_PATH];    /* the work tree dir is in (its top level) */
	char common[AGENT_WORKTREE_PATH]; /* the repository's common git directory */
	char prefix[AGENT_WORKTREE_PATH]; /* dir below top: "src/" or "" */
};

/* What git says of dir.  -1 with errno (ENOTDIR: not inside a git work
 * tree; ENOENT: no git) and a message in msg. */
int agent_worktree_probe(const char *dir, struct agent_worktree_info *,
                         char *msg, size_t len);
/* 0 when branch is a valid name for a new branch of dir's repository;
 * -1 with errno: EINVAL not a valid name, EEXIST it exists; a message. */
int agent_worktree_branch_check(const char *dir, const char *branch,
                                char *msg, size_t len);
/* git worktree add -b branch path HEAD, run in dir, the parents of path
 * made first (0700).  -1 with errno and git's own words in msg. */
int agent_worktree_add(const char *dir, const char *path, const char *branch,
                       char *msg, size_t len);
/* Takes back what agent_worktree_add made (a run that never started). */
void agent_worktree_undo(const char *dir, const char *path, const char *branch);

#endif
