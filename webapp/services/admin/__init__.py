"""Running the server: the accounts an admin looks after, the audit log, and who may register.

- ``audit`` - every admin action, written in the same transaction as the action.
- ``directory`` - accounts with their team and last activity; switching them off and on; making admins.
- ``registration`` - the registration policy (open, invite only, listed email domains).
"""
