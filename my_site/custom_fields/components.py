"""Service component that rejects vocabulary custom-field values outside their vocabulary."""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_records_resources.services.records.components import ServiceComponent
from invenio_vocabularies.proxies import current_service as vocabulary_service
from invenio_vocabularies.services.custom_fields import VocabularyCF
from marshmallow import ValidationError


class VocabularyCustomFieldsComponent(ServiceComponent):
    """Answer an unknown vocabulary value with a 400 that names the field."""

    @staticmethod
    def _in_vocabulary(vocabulary_id, value):
        if not isinstance(value, str) or not value:
            return False
        try:
            vocabulary_service.read(system_identity, (vocabulary_id, value))
        except PIDDoesNotExistError:
            return False
        return True

    def _validate(self, data):
        values = (data or {}).get("custom_fields") or {}
        errors = {}
        for field in current_app.config.get("RDM_CUSTOM_FIELDS", []):
            if not isinstance(field, VocabularyCF) or not values.get(field.name):
                continue
            chosen = values[field.name]
            for entry in chosen if isinstance(chosen, list) else [chosen]:
                value = entry.get("id") if isinstance(entry, dict) else entry
                if not self._in_vocabulary(field.vocabulary_id, value):
                    errors.setdefault(field.name, []).append(
                        f"Unknown value '{value}' (not in the '{field.vocabulary_id}' vocabulary)."
                    )
        if errors:
            raise ValidationError({"custom_fields": errors})

    def create(self, identity, data=None, **kwargs):
        """Check the values of a new draft."""
        self._validate(data)

    def update_draft(self, identity, data=None, **kwargs):
        """Check the values of an updated draft."""
        self._validate(data)
