"""Publishing: the site that `archive` built, put online on an FTP, SFTP, Git or mounted-folder target.

target (the URL) -> manifest (state/publish.json: what was sent where) -> pipeline (plan and
upload) through one `Remote` per protocol (local, ftp, sftp, git), imported only when used.
"""
