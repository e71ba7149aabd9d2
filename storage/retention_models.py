"""What the rules keep of a deleted enterprise (data/retention.yaml) until its `purge_after`.

An enterprise's deletion removes its rows and leaves its `enterprises` row emptied (a tombstone,
`deleted_at` set) so its id is not reused while records naming it are kept. Kept records are
copies, made at the deletion, of only what the rule needs (a signed on-site report's number,
code and level so /verify/ still answers; an accepted project's amounts, steps and acceptance
files), so nothing else in the service ever sees the deleted enterprise. Audit records stay in
their chain; one `audit_records` row here dates their redaction.
"""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, json_dict, str32, str64


class RetainedRecord(Base):
    __tablename__ = "retained_records"

    id: Mapped[intpk]
    kind: Mapped[str32] = mapped_column(index=True)  # a kind of data/retention.yaml
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str64 | None] = mapped_column(index=True)  # report number, project id
    data: Mapped[json_dict]
    purge_after: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[created_at]
