"""A server error that bad input did not cause is logged with its traceback, as Flask logs it."""

import logging


def test_an_unexpected_error_is_logged_and_answered_500(app, caplog):
    """The bad-input handlers take AttributeError; one raised by a read is still a logged 500."""

    def broken_page():
        return None.active  # the kind of defect the handlers must not hide

    app.add_url_rule("/broken-for-the-test", "broken_for_the_test", broken_page)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/broken-for-the-test")
    assert response.status_code == 500
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and logged[0].exc_info[0] is AttributeError
    assert "/broken-for-the-test" in logged[0].getMessage()
