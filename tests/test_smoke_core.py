from porch.feed.services import home_feed
from porch.graph.services import do_add_to_circle, do_create_circle
from porch.posts.models import Audience
from porch.posts.services import do_create_post, do_reply, thread
from porch.posts.visibility import visible_to


def test_core_smoke(make_member, befriend):
    ana, ben, cy, dee = (make_member(n) for n in ["ana", "ben", "cy", "dee"])
    befriend(ana, ben)
    befriend(ben, cy)
    befriend(ana, dee)
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    p = do_create_post(ana, text="hi @ben", audience=Audience.CIRCLES, circle_ids=[family.pk])
    r = do_reply(ben, p, text="hello")
    assert set(visible_to(ben).values_list("pk", flat=True)) == {p.pk, r.pk}
    assert not visible_to(dee).exists()
    assert not visible_to(cy).exists()
    fof = do_create_post(ana, text="fof", audience=Audience.FRIENDS_OF_FRIENDS)
    assert list(visible_to(cy).values_list("pk", flat=True)) == [fof.pk]
    assert [x.pk for x in home_feed(ben).posts] == [fof.pk, p.pk]
    assert [n.post.pk for n in thread(ben, p)] == [r.pk]
    assert ben.notifications.count() == 3  # request from ana, cy accepted, mention
