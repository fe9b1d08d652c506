// Unit tests run without services (jest.unit.config.js): point every way of finding one at nothing, so a
// test that needs Docker, the registry or the databases fails here too, not only on a fresh clone.
process.env.DOCKER_HOST = 'unix:///nonexistent/unit-tests-have-no-docker.sock';
process.env.DEPLOY_ACTIONS_SERVICES_DIR = '/nonexistent/unit-tests-have-no-services';
