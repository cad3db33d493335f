r"""The instance's own record metadata: the instrument that produced the data.

Fields live in the ``mysite`` namespace: ``mysite:instrument`` (a vocabulary of
our own, ``app_data/vocabularies/instruments.yaml``) and
``mysite:acquisition_notes`` (free text). They are searchable as e.g.
``custom_fields.mysite\:instrument.id:lidar-uav`` and appear in the deposit
form, on the landing page and in the JSON export.
"""

from invenio_records_resources.services.custom_fields import TextCF
from invenio_records_resources.services.records.facets import CFTermsFacet
from invenio_vocabularies.services.custom_fields import VocabularyCF
from invenio_vocabularies.services.facets import VocabularyLabels
from marshmallow import validate

NAMESPACES = {"mysite": "https://my-site.example.org/terms/"}
"""The instance's custom-field namespace and the URI its terms live under."""

INSTRUMENTS_VOCABULARY = "instruments"
"""The vocabulary type of the instruments (``app_data/vocabularies/instruments.yaml``)."""

FIELDS = [
    VocabularyCF(
        name="mysite:instrument",
        vocabulary_id=INSTRUMENTS_VOCABULARY,
        dump_options=True,
        multiple=False,
    ),
    TextCF(
        name="mysite:acquisition_notes",
        field_args={"validate": validate.Length(max=2000)},
    ),
]
"""The custom fields of records (``RDM_CUSTOM_FIELDS``)."""

FIELDS_UI = [
    {
        "section": "Data acquisition",
        "fields": [
            {
                "field": "mysite:instrument",
                "ui_widget": "Dropdown",
                "landing_page_search_attr": "id",
                "props": {
                    "label": "Instrument",
                    "placeholder": "The instrument or facility that produced the data",
                    "icon": "microscope",
                    "description": "Choose the instrument or facility the data come from.",
                    "search": True,
                    "multiple": False,
                    "clearable": True,
                },
            },
            {
                "field": "mysite:acquisition_notes",
                "ui_widget": "TextArea",
                "props": {
                    "label": "Acquisition notes",
                    "placeholder": "Calibration, settings, conditions...",
                    "icon": "pencil",
                    "description": "How the data were acquired (up to 2000 characters).",
                    "rows": 4,
                },
            },
        ],
    }
]
"""How the deposit form and the landing page show them (``RDM_CUSTOM_FIELDS_UI``)."""

FACETS = {
    "instrument": {
        "facet": CFTermsFacet(
            field="mysite:instrument.id",
            label="Instrument",
            value_labels=VocabularyLabels(INSTRUMENTS_VOCABULARY),
        ),
        "ui": {"field": CFTermsFacet.field("mysite:instrument.id")},
    }
}
"""The search facet of the instrument, added to the record search facets."""
