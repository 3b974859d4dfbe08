"""What every test area shares.

- `http.LocalServer`: the base of every fake HTTP server (127.0.0.1 only);
- `providers`: stateful fakes of Brevo and Mailjet that follow the reference and can inject faults;
- `workspace.make_workspace`: a small workspace (config + one issue) for the render-side tests;
- `asserts`: `assert_clean_failure` (exit code, message, no traceback) and `snapshot_tree`.
"""
